//省略引入代码
let net = require('net')
let server = net.createServer()
server.on('connection', function(socket) {
  //socket是一个Duplex 可读可写
  socket.write('hello')
  //设置编码
  socket.setEncoding('utf8')
  // 可以通过流的方式接收到数据
  socket.on('data', function(data) {
    console.log(data)
    server.close() 
  })
})
//监听close事件
server.on('close', function() {
  console.log('服务器关闭')
})
//省略监听代码
server.listen(Number(process.argv[2] || 3000))
